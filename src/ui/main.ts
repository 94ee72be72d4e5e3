// The app's entry: mounts the root component into #app.
import { mount } from 'svelte';
import 'leaflet/dist/leaflet.css';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
mount(App, { target });
